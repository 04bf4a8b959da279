// Saves text as a file the user downloads (scenario export).
export function download(fileName, text, mimeType) {
    const url = URL.createObjectURL(new Blob([text], { type: mimeType || 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}
