// Keeps the practice chat scrolled to its newest message.
export function scrollToEnd(element) {
    if (element) element.scrollTop = element.scrollHeight;
}
