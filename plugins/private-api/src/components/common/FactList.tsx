import { ReactNode } from 'react';
import { makeStyles, Typography } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'minmax(8rem, max-content) 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
  },
  term: { color: theme.palette.text.secondary },
  value: { margin: 0, overflowWrap: 'anywhere' },
}));

/** Label–value pairs as a description list (read as such by screen readers). */
export function FactList(props: { facts: Array<[string, ReactNode]> }) {
  const classes = useStyles();
  return (
    <dl className={classes.list}>
      {props.facts.map(([term, value]) => (
        <Typography
          component="div"
          variant="body2"
          key={term}
          style={{ display: 'contents' }}
        >
          <dt className={classes.term}>{term}</dt>
          <dd className={classes.value}>{value}</dd>
        </Typography>
      ))}
    </dl>
  );
}

/** A heading inside a card. */
export function SectionTitle(props: { children: ReactNode }) {
  return (
    <Typography variant="subtitle2" component="h3" gutterBottom>
      {props.children}
    </Typography>
  );
}
