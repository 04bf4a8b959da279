// The practice page's small browser helpers: keep the chat scrolled, and run its modal dialogs
// (the End session confirmation and the briefing drawer) with focus kept inside and given back.

// Keeps the practice chat scrolled to its newest message.
export function scrollToEnd(element) {
    if (element) element.scrollTop = element.scrollHeight;
}

const focusable = 'a[href], button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

// Opens a <dialog> as modal: the page behind is inert, Escape closes it (the browser's own cancel),
// Tab cycles inside it, and focus goes back to the control that opened it when it closes.
export function openDialog(dialog, opener, initialFocus) {
    if (!dialog || dialog.open) return;
    const trap = event => {
        if (event.key !== 'Tab') return;
        const items = [...dialog.querySelectorAll(focusable)].filter(e => e.offsetParent !== null || e === document.activeElement);
        if (items.length === 0) return;
        const first = items[0], last = items[items.length - 1];
        if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
        else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
    };
    dialog.addEventListener('keydown', trap);
    dialog.addEventListener('close', () => {
        dialog.removeEventListener('keydown', trap);
        if (opener && opener.isConnected && !opener.disabled) opener.focus();
    }, { once: true });
    dialog.showModal();
    if (initialFocus) initialFocus.focus();
}

export function closeDialog(dialog) {
    if (dialog && dialog.open) dialog.close();
}

// Brings the full feedback into view (on a phone it sits below the conversation) and moves focus there.
export function showElement(element) {
    if (!element) return;
    element.scrollIntoView({ block: 'start' });
    element.focus({ preventScroll: true });
}
