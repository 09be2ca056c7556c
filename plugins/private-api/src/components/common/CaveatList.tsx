import { Box, Typography } from '@material-ui/core';
import { Link } from '@backstage/core-components';
import { Caveat } from '@private-api-catalog/plugin-private-api-common';

/** A link to the AWS page a fact comes from, named for screen readers by what it documents. */
export function AwsDocLink(props: { href: string; about?: string }) {
  // Backstage's Link opens external pages in a new window and says so.
  return (
    <Link
      to={props.href}
      aria-label={`AWS documentation${
        props.about ? `: ${props.about}` : ''
      } (opens in a new window)`}
    >
      AWS documentation
    </Link>
  );
}

/** Caveats as a list, each followed by a link to the AWS page it comes from. */
export function CaveatList(props: { title: string; caveats: Caveat[] }) {
  if (props.caveats.length === 0) return null;
  return (
    <Box mt={1}>
      <Typography variant="body2" component="h4" style={{ fontWeight: 500 }}>
        {props.title}
      </Typography>
      <Typography variant="body2" component="ul" style={{ marginTop: 0 }}>
        {props.caveats.map(caveat => (
          <li key={caveat.text}>
            {caveat.text}
            {caveat.docUrl && (
              <>
                {' '}
                (<AwsDocLink href={caveat.docUrl} about={caveat.text} />)
              </>
            )}
          </li>
        ))}
      </Typography>
    </Box>
  );
}
