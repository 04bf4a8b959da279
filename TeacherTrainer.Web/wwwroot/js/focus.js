// After a navigation, focus moves to the page's heading so a screen reader starts there (as Blazor's
// FocusOnNavigate does), unless the user is already typing in a field: the page becomes interactive
// a moment after it appears, and moving focus then would send their keystrokes nowhere.
export function focusHeading(selector) {
    const active = document.activeElement;
    if (active && active.matches('input, textarea, select, [contenteditable]:not([contenteditable="false"])')) {
        return false;
    }
    const heading = document.querySelector(selector);
    if (!heading) {
        return false;
    }
    if (!heading.hasAttribute('tabindex')) {
        heading.tabIndex = -1;
    }
    heading.focus({ preventScroll: true });
    return true;
}
