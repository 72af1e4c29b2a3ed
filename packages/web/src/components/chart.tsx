import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { type ReactNode, useEffect, useRef } from 'react';

// Only the parts of ECharts the UI draws, to keep the shipped JavaScript small.
echarts.use([
  LineChart,
  BarChart,
  HeatmapChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;
export interface ChartClick {
  seriesIndex?: number;
  dataIndex: number;
  data: unknown;
  seriesName?: string;
}

/** One ECharts instance bound to a div; resizes with the window; reports clicks on data points. */
export function Chart(props: {
  option: ChartOption;
  height?: number;
  onClick?: (event: ChartClick) => void;
  testId?: string;
}): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const onClick = useRef(props.onClick);
  onClick.current = props.onClick;

  useEffect(() => {
    if (!ref.current) return;
    const instance = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (event) => onClick.current?.(event as unknown as ChartClick));
    const resize = (): void => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [props.option]);

  return (
    <div
      ref={ref}
      className="chart"
      style={{ height: props.height ?? 260, cursor: props.onClick ? 'pointer' : undefined }}
      data-testid={props.testId}
    />
  );
}

export const PALETTE = [
  '#4f6bed',
  '#e8744f',
  '#2fa37d',
  '#c0479a',
  '#d4a72c',
  '#3aa7c9',
  '#8b5cf6',
  '#8d6e63',
  '#e05561',
  '#6b8e23',
];
