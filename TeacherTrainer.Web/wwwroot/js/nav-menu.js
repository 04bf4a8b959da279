// Closes the collapsed (narrow-screen) navigation menu when something in it is chosen. A script
// file rather than an inline onclick attribute, which the content security policy refuses.
document.addEventListener('click', event => {
    if (event.target instanceof Element && event.target.closest('.nav-scrollable')) {
        document.querySelector('.navbar-toggler')?.click();
    }
});
