import { makeStyles, useTheme } from '@material-ui/core';
import { TrafficRecord } from '@private-api-catalog/plugin-private-api-common';
import { formatCount } from '../common/format';

const WIDTH = 600;
const HEIGHT = 120;
const AXIS = 16;

const useStyles = makeStyles({
  svg: { width: '100%', maxWidth: WIDTH, height: 'auto', display: 'block' },
});

/** What the chart shows, in words: its accessible name and the line under it. */
export function describeTraffic(daily: TrafficRecord['daily']): string {
  const total = daily.reduce((sum, d) => sum + d.count, 0);
  const peak = daily.reduce((a, b) => (b.count > a.count ? b : a), daily[0]);
  return `${formatCount(total)} requests from ${daily[0].date} to ${
    daily[daily.length - 1].date
  }; busiest day ${peak.date} with ${formatCount(peak.count)}.`;
}

/**
 * Requests per day as plain SVG bars: small enough not to need a charting library. Each bar
 * has a title (hover) and the whole chart an accessible description.
 */
export function RequestsChart(props: { daily: TrafficRecord['daily'] }) {
  const { daily } = props;
  const classes = useStyles();
  const theme = useTheme();
  const max = Math.max(1, ...daily.map(d => d.count));
  const slot = WIDTH / daily.length;
  const plot = HEIGHT - AXIS;
  return (
    <svg
      className={classes.svg}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`Requests per day. ${describeTraffic(daily)}`}
    >
      {daily.map((day, i) => {
        const height = (day.count / max) * (plot - 4);
        return (
          <rect
            key={day.date}
            x={i * slot + slot * 0.15}
            y={plot - height}
            width={slot * 0.7}
            height={height}
            fill={theme.palette.primary.main}
          >
            <title>{`${day.date}: ${formatCount(day.count)} requests`}</title>
          </rect>
        );
      })}
      <line
        x1={0}
        x2={WIDTH}
        y1={plot}
        y2={plot}
        stroke={theme.palette.divider}
      />
      <text
        x={0}
        y={HEIGHT - 2}
        fontSize={11}
        fill={theme.palette.text.primary}
      >
        {daily[0].date}
      </text>
      <text
        x={WIDTH}
        y={HEIGHT - 2}
        fontSize={11}
        textAnchor="end"
        fill={theme.palette.text.primary}
      >
        {daily[daily.length - 1].date}
      </text>
    </svg>
  );
}
