import { Box, Button } from '@material-ui/core';
import { ResponseErrorPanel } from '@backstage/core-components';

/** A request that failed: what the backend said, and a button to ask again. */
export function LoadError(props: { error: Error; retry: () => void }) {
  return (
    <>
      <ResponseErrorPanel error={props.error} />
      <Box mt={1}>
        <Button variant="outlined" size="small" onClick={props.retry}>
          Try again
        </Button>
      </Box>
    </>
  );
}
