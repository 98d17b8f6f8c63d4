import * as echarts from 'echarts';
import type { Chart } from '../../domain/report-document.js';

/** The font family charts name; the PDF and PNG renderers map it to the npm Chinese sans font. */
export const CHART_FONT = 'Noto Sans SC';

const TITLE_SIZE = 14;
const LABEL_SIZE = 10;
const LABEL_DISTANCE = 5;
/** The title's box: ECharts sets it `top` from the edge, one line of TITLE_SIZE with its padding of 5. */
const TITLE_TOP = 8;
const TITLE_BOTTOM = TITLE_TOP + 5 + TITLE_SIZE * 1.2 + 5;
/**
 * The plot starts low enough that the value over a bar reaching the top of the axis sits below
 * the title with a gap; the axis's top never lies below the tallest bar.
 */
const PLOT_TOP = Math.ceil(TITLE_BOTTOM + 4 + LABEL_SIZE * 1.2 + LABEL_DISTANCE);

/**
 * ECharts rings series labels with a white halo (stroke under the fill, `paint-order`);
 * svg-to-pdfkit ignores paint-order and strokes the halo over the glyphs, so PDF viewers show
 * nothing. Labels here stand on white, so they go without a halo.
 */
const NO_HALO = { textBorderColor: 'none' };

/**
 * Charts drawn by ECharts on the server as SVG (vector): the PDF embeds the SVG as paths and
 * text, the DOCX carries it with a PNG beside it for older Word.
 */
function render(option: echarts.EChartsCoreOption, width: number, height: number): Chart {
  // The same figures draw the same chart: a statistics page asked for again is not drawn again.
  const key = JSON.stringify([option, width, height]);
  const known = drawn.get(key);
  if (known) return known;
  const made = draw(option, width, height);
  if (drawn.size >= DRAWN_KEPT) drawn.delete(drawn.keys().next().value!);
  drawn.set(key, made);
  return made;
}

const DRAWN_KEPT = 64;
const drawn = new Map<string, Chart>();

function draw(option: echarts.EChartsCoreOption, width: number, height: number): Chart {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return { svg, width, height };
}

const title = (text: string) => ({ text, left: 'center', top: TITLE_TOP, textStyle: { fontFamily: CHART_FONT, fontSize: TITLE_SIZE } });

export function barChart(heading: string, labels: string[], values: number[], width = 480, height = 260): Chart {
  return render(
    {
      title: title(heading),
      grid: { left: 40, right: 16, top: PLOT_TOP, bottom: 48 },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, fontFamily: CHART_FONT, fontSize: 10, rotate: labels.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontFamily: CHART_FONT } },
      series: [
        {
          type: 'bar',
          data: values,
          itemStyle: { color: '#3b6ea5' },
          label: { show: true, position: 'top', distance: LABEL_DISTANCE, fontFamily: CHART_FONT, fontSize: LABEL_SIZE, ...NO_HALO },
        },
      ],
    },
    width,
    height,
  );
}

/** A pie with each part's name and count beside it, and a legend under it naming every part, a part of 0 too. */
export function pieChart(heading: string, parts: { name: string; value: number; color: string }[], width = 480, height = 260): Chart {
  return render(
    {
      title: title(heading),
      legend: { bottom: 6, itemGap: 24, textStyle: { fontFamily: CHART_FONT, fontSize: 12 }, data: parts.map((p) => p.name) },
      series: [
        {
          type: 'pie',
          radius: ['0%', '52%'],
          center: ['50%', '54%'],
          data: parts.map((p) => ({ name: p.name, value: p.value, itemStyle: { color: p.color } })),
          label: { formatter: '{b}：{c} 件', fontFamily: CHART_FONT, fontSize: 13, ...NO_HALO },
        },
      ],
    },
    width,
    height,
  );
}
