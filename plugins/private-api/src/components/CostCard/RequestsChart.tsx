import { makeStyles, useTheme } from '@material-ui/core';
import { TrafficRecord } from '@private-api-catalog/plugin-private-api-common';
import { formatCount } from '../common/format';

const WIDTH = 600;
const HEIGHT = 170;
/** Room for the y-axis labels on the left and the dates below. */
const LEFT = 56;
const RIGHT = 8;
const TOP = 16;
const BOTTOM = 36;

const useStyles = makeStyles({
  svg: { width: '100%', maxWidth: WIDTH, height: 'auto', display: 'block' },
});

/** What is counted: requests (REST, HTTP) or messages (WebSocket). */
export type TrafficUnit = 'requests' | 'messages';

/** What the chart shows, in words: its accessible name and the line under it. */
export function describeTraffic(
  daily: TrafficRecord['daily'],
  what: TrafficUnit = 'requests',
): string {
  const total = daily.reduce((sum, d) => sum + d.count, 0);
  const range = `from ${daily[0].date} to ${daily[daily.length - 1].date}`;
  if (total === 0) return `No ${what} ${range}.`;
  const peak = daily.reduce((a, b) => (b.count > a.count ? b : a), daily[0]);
  return `${formatCount(total)} ${what} ${range}; busiest day ${
    peak.date
  } with ${formatCount(peak.count)}.`;
}

/** 0, 1, 2, 5, 10, 20, 50, ... ≥ value: a round top for the y axis. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find(m => m * magnitude >= value) ?? 10;
  return step * magnitude;
}

/** 1200 → "1.2k", 3400000 → "3.4M": short labels for the y axis. */
function shortCount(value: number): string {
  if (value >= 1e9) return `${+(value / 1e9).toFixed(1)}B`;
  if (value >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (value >= 1e3) return `${+(value / 1e3).toFixed(1)}k`;
  return String(value);
}

/**
 * Requests (or messages) per day as plain SVG bars with a y axis (0, half, top) and dates
 * along the x axis: small enough not to need a charting library. Each bar has a title
 * (hover) and the whole chart an accessible description.
 */
export function RequestsChart(props: {
  daily: TrafficRecord['daily'];
  what?: TrafficUnit;
}) {
  const { daily, what = 'requests' } = props;
  const classes = useStyles();
  const theme = useTheme();
  const top = niceCeiling(Math.max(0, ...daily.map(d => d.count)));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const baseline = TOP + plotHeight;
  const slot = plotWidth / daily.length;
  const y = (count: number) => baseline - (count / top) * plotHeight;
  const text = theme.palette.text.primary;
  const ticks = [0, top / 2, top];
  // First, middle and last day: enough to read dates without crowding.
  const dated = [
    ...new Set([0, Math.floor((daily.length - 1) / 2), daily.length - 1]),
  ];
  const unit = what === 'messages' ? 'Messages' : 'Requests';
  return (
    <svg
      className={classes.svg}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`${unit} per day. ${describeTraffic(daily, what)}`}
    >
      <text x={0} y={10} fontSize={11} fill={text}>
        {unit} per day
      </text>
      {ticks.map(tick => (
        <g key={tick}>
          <line
            x1={LEFT}
            x2={WIDTH - RIGHT}
            y1={y(tick)}
            y2={y(tick)}
            stroke={theme.palette.divider}
          />
          <text
            x={LEFT - 6}
            y={y(tick) + 4}
            fontSize={11}
            textAnchor="end"
            fill={text}
          >
            {shortCount(tick)}
          </text>
        </g>
      ))}
      {daily.map((day, i) => {
        const height = baseline - y(day.count);
        return (
          <rect
            key={day.date}
            x={LEFT + i * slot + slot * 0.15}
            y={baseline - height}
            width={slot * 0.7}
            height={height}
            fill={theme.palette.primary.main}
          >
            <title>{`${day.date}: ${formatCount(day.count)} ${what}`}</title>
          </rect>
        );
      })}
      <line
        x1={LEFT}
        x2={LEFT}
        y1={TOP}
        y2={baseline}
        stroke={theme.palette.text.secondary}
      />
      <line
        x1={LEFT}
        x2={WIDTH - RIGHT}
        y1={baseline}
        y2={baseline}
        stroke={theme.palette.text.secondary}
      />
      {dated.map(i => (
        <text
          key={daily[i].date}
          x={LEFT + i * slot + slot / 2}
          y={baseline + 14}
          fontSize={11}
          textAnchor={
            i === 0 ? 'start' : i === daily.length - 1 ? 'end' : 'middle'
          }
          fill={text}
        >
          {daily[i].date}
        </text>
      ))}
      <text
        x={LEFT + plotWidth / 2}
        y={HEIGHT - 4}
        fontSize={11}
        textAnchor="middle"
        fill={text}
      >
        Day (UTC)
      </text>
    </svg>
  );
}
