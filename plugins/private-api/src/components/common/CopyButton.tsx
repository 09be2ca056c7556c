import { useEffect, useState } from 'react';
import { IconButton, Tooltip } from '@material-ui/core';
import CheckIcon from '@material-ui/icons/Check';
import FileCopyOutlinedIcon from '@material-ui/icons/FileCopyOutlined';
import useCopyToClipboard from 'react-use/esm/useCopyToClipboard';

/**
 * Copies `text`; `label` names what is copied, so that screen readers and keyboard users
 * can tell one copy button from the next ("Copy the prod command of Private DNS name").
 */
export function CopyButton(props: { text: string; label: string }) {
  const { text, label } = props;
  const [, copy] = useCopyToClipboard();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return undefined;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  return (
    <Tooltip title={copied ? 'Copied' : label}>
      <IconButton
        size="small"
        aria-label={label}
        onClick={() => {
          copy(text);
          setCopied(true);
        }}
      >
        {copied ? (
          <CheckIcon fontSize="small" />
        ) : (
          <FileCopyOutlinedIcon fontSize="small" />
        )}
      </IconButton>
    </Tooltip>
  );
}
