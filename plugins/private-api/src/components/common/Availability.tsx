import { Chip } from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpIcon from '@material-ui/icons/Help';
import RemoveCircleIcon from '@material-ui/icons/RemoveCircle';
import WarningIcon from '@material-ui/icons/Warning';

export type Verdict = 'ok' | 'warning' | 'failed' | 'skipped';

const ICONS = {
  ok: <CheckCircleIcon style={{ color: '#2e7d32' }} />,
  warning: <WarningIcon style={{ color: '#ed6c02' }} />,
  failed: <ErrorIcon style={{ color: '#d32f2f' }} />,
  skipped: <HelpIcon style={{ color: '#757575' }} />,
  off: <RemoveCircleIcon style={{ color: '#757575' }} />,
};

/**
 * A verdict as an outlined chip: the text says it and the coloured icon repeats it, so
 * the meaning never rests on colour alone and the text keeps the theme's contrast.
 */
export function VerdictChip(props: {
  verdict: keyof typeof ICONS;
  label: string;
}) {
  return (
    <Chip
      size="small"
      variant="outlined"
      icon={ICONS[props.verdict]}
      label={props.label}
    />
  );
}
