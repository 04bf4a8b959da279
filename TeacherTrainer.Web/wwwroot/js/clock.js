// The browser's offset from UTC, in minutes (UTC+1 gives 60), so dates typed in the browser mean the user's local time.
export function offsetMinutes() {
    return -new Date().getTimezoneOffset();
}
