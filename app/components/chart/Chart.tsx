/**
 * The one chart wrapper: recharts area/bar charts sized to their box,
 * coloured from CSS variables (so light and dark follow the theme), a themed
 * tooltip, and the same data as a table for screen readers.
 */
'use client';

import { Area, AreaChart, Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import styles from './chart.module.css';

export interface Series {
  key: string;
  label: string;
  /** A CSS colour; defaults to the theme's accent. */
  color?: string;
}

export interface ChartProps<T extends object> {
  data: readonly T[];
  xKey: keyof T & string;
  series: readonly Series[];
  kind?: 'area' | 'bar';
  height?: number;
  /** Names the chart for assistive technology. */
  label: string;
  formatX?: (x: string) => string;
  formatTooltipX?: (x: string) => string;
  formatY?: (y: number) => string;
}

const DEFAULT_COLORS = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)'];

export function Chart<T extends object>({ data, xKey, series, kind = 'area', height = 260, label, formatX, formatTooltipX, formatY }: ChartProps<T>) {
  const fx = formatX ?? String;
  const fy = formatY ?? ((y: number) => String(y));
  const color = (s: Series, i: number) => s.color ?? DEFAULT_COLORS[i % DEFAULT_COLORS.length]!;
  const common = {
    data: data as T[],
    margin: { top: 8, right: 8, bottom: 0, left: 0 },
    accessibilityLayer: true,
  };
  const axes = (
    <>
      <CartesianGrid vertical={false} stroke="var(--border)" />
      <XAxis dataKey={xKey as string} tickFormatter={(x) => fx(String(x))} stroke="var(--text-muted)" tickLine={false} axisLine={false} minTickGap={24} fontSize={12} />
      <YAxis tickFormatter={(y) => fy(Number(y))} stroke="var(--text-muted)" tickLine={false} axisLine={false} width={56} fontSize={12} allowDecimals={false} />
      <Tooltip
        cursor={{ stroke: 'var(--border-strong)' }}
        content={({ active, payload, label: x }) =>
          active && payload?.length ? (
            <div className={styles.tooltip}>
              <div className={styles.tooltipLabel}>{(formatTooltipX ?? fx)(String(x))}</div>
              {payload.map((p, i) => (
                <div key={String(p.dataKey)} className={styles.tooltipRow}>
                  <span className={styles.swatch} style={{ background: color(series[i] ?? { key: '', label: '' }, i) }} />
                  <span>{series.find((s) => s.key === p.dataKey)?.label ?? String(p.dataKey)}</span>
                  <strong>{typeof p.value === 'number' ? fy(p.value) : '–'}</strong>
                </div>
              ))}
            </div>
          ) : null
        }
      />
    </>
  );

  return (
    <figure className={styles.figure} aria-label={label}>
      <div style={{ height }} aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          {kind === 'bar' ? (
            <BarChart {...common}>
              {axes}
              {series.map((s, i) => (
                <Bar key={s.key} dataKey={s.key} name={s.label} fill={color(s, i)} radius={[3, 3, 0, 0]} isAnimationActive={false} />
              ))}
            </BarChart>
          ) : (
            <AreaChart {...common}>
              {axes}
              {series.map((s, i) => (
                <Area
                  key={s.key}
                  type="monotone"
                  dataKey={s.key}
                  name={s.label}
                  stroke={color(s, i)}
                  strokeWidth={2}
                  fill={color(s, i)}
                  fillOpacity={0.12}
                  dot={false}
                  activeDot={{ r: 4 }}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </AreaChart>
          )}
        </ResponsiveContainer>
      </div>
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.map((row) => {
            const x = String(row[xKey]);
            return (
              <tr key={x}>
                <th scope="row">{(formatTooltipX ?? fx)(x)}</th>
                {series.map((s) => {
                  const v = (row as Record<string, unknown>)[s.key];
                  return <td key={s.key}>{typeof v === 'number' ? fy(v) : '–'}</td>;
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}
