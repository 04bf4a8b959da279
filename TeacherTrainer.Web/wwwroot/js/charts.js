// Draws charts with Chart.js (vendored in lib/chart.js), for the ChartCanvas component.
let library;

async function chartLibrary() {
    if (!library) {
        // The UMD build defines globalThis.Chart when loaded as a module.
        await import('../lib/chart.js/chart.umd.min.js');
        library = globalThis.Chart;
        library.defaults.font.family = getComputedStyle(document.body).fontFamily;
        library.defaults.color = '#343a40';
    }
    return library;
}

const charts = new WeakMap();

export async function render(canvas, config) {
    const Chart = await chartLibrary();
    const existing = charts.get(canvas);
    if (existing) {
        existing.data = config.data;
        existing.options = config.options ?? {};
        existing.update();
    } else {
        charts.set(canvas, new Chart(canvas, config));
    }
    // For tests and tools: how many points the chart now shows.
    const points = config.data.datasets.reduce((n, d) => n + d.data.filter(v => v !== null && v !== undefined).length, 0);
    canvas.dataset.points = String(points);
    canvas.dataset.rendered = 'true';
}

export function destroy(canvas) {
    const chart = charts.get(canvas);
    if (chart) {
        chart.destroy();
        charts.delete(canvas);
    }
}
