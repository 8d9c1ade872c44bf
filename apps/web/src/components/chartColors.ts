/** Chart palette, kept outside the ECharts module so pages can use it without loading ECharts. */
export const CHART_COLORS = ['#1d5bb0', '#c0392b', '#2f9e73', '#e8a33d', '#7b61c9', '#16a2b8', '#8c8c8c', '#d4568a'];
