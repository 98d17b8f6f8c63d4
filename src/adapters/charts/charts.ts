import * as echarts from 'echarts';
import type { Chart } from '../../domain/report-document.js';

/** The font family charts name; the PDF and PNG renderers map it to the npm Chinese sans font. */
export const CHART_FONT = 'Noto Sans SC';

/**
 * Charts drawn by ECharts on the server as SVG (vector): the PDF embeds the SVG as paths and
 * text, the DOCX carries it with a PNG beside it for older Word.
 */
function render(option: echarts.EChartsCoreOption, width: number, height: number): Chart {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return { svg, width, height };
}

export function barChart(title: string, labels: string[], values: number[], width = 480, height = 240): Chart {
  return render(
    {
      title: { text: title, left: 'center', textStyle: { fontFamily: CHART_FONT, fontSize: 14 } },
      grid: { left: 40, right: 16, top: 40, bottom: 48 },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, fontFamily: CHART_FONT, fontSize: 10, rotate: labels.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontFamily: CHART_FONT } },
      series: [{ type: 'bar', data: values, itemStyle: { color: '#3b6ea5' }, label: { show: true, position: 'top', fontFamily: CHART_FONT, fontSize: 10 } }],
    },
    width,
    height,
  );
}

export function pieChart(title: string, parts: { name: string; value: number; color: string }[], width = 480, height = 240): Chart {
  return render(
    {
      title: { text: title, left: 'center', textStyle: { fontFamily: CHART_FONT, fontSize: 14 } },
      series: [
        {
          type: 'pie',
          radius: ['0%', '60%'],
          center: ['50%', '58%'],
          data: parts.map((p) => ({ name: p.name, value: p.value, itemStyle: { color: p.color } })),
          label: { formatter: '{b}：{c} 件', fontFamily: CHART_FONT, fontSize: 13 },
        },
      ],
    },
    width,
    height,
  );
}
