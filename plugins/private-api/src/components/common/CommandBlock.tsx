import { Box, makeStyles } from '@material-ui/core';
import { CopyButton } from './CopyButton';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    background: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1, 1, 1, 1.5),
  },
  code: {
    flex: 1,
    margin: 0,
    fontFamily: 'monospace',
    fontSize: '0.85rem',
    // Wrapped rather than scrolled: a scrolling region would need its own focus stop.
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
  },
}));

/** A ready-to-paste command (or URL) with its copy button. */
export function CommandBlock(props: { command: string; copyLabel: string }) {
  const classes = useStyles();
  return (
    <Box className={classes.root}>
      <pre className={classes.code}>
        <code>{props.command}</code>
      </pre>
      <CopyButton text={props.command} label={props.copyLabel} />
    </Box>
  );
}
