import { useMemo, useState } from 'react';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  TextField,
  Typography,
} from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { Alert } from '@material-ui/lab';
import {
  ApiRecord,
  EstateResponse,
  InvokeAvailability,
  InvokeOption,
  invokeCommand,
  invokeOptions,
  RouteRecord,
  routeAuth,
  websocketMessage,
} from '@private-api-catalog/plugin-private-api-common';
import { VerdictChip } from '../common/Availability';
import { AwsDocLink, CaveatList } from '../common/CaveatList';
import { CommandBlock } from '../common/CommandBlock';
import { PrivateApiCard } from '../common/PrivateApiCard';
import { useCallerSelection } from '../data/callerSelection';
import {
  CallerPicker,
  callerOf,
  defaultOnPremisesEndpoint,
} from './CallerPicker';

const AVAILABILITY: Record<
  InvokeAvailability,
  { verdict: 'ok' | 'warning' | 'failed'; label: string }
> = {
  available: { verdict: 'ok', label: 'Available' },
  conditional: { verdict: 'warning', label: 'Conditional' },
  unavailable: { verdict: 'failed', label: 'Unavailable' },
};

function BulletList(props: { title: string; items: string[] }) {
  if (props.items.length === 0) return null;
  return (
    <Box mt={1}>
      <Typography variant="body2" component="h4" style={{ fontWeight: 500 }}>
        {props.title}
      </Typography>
      <Typography variant="body2" component="ul" style={{ marginTop: 0 }}>
        {props.items.map(item => (
          <li key={item}>{item}</li>
        ))}
      </Typography>
    </Box>
  );
}

/** The ready commands of one option, one per URL (stage or custom domain mapping). */
function Commands(props: {
  api: ApiRecord;
  option: InvokeOption;
  routeKey?: string;
}) {
  const { api, option, routeKey } = props;
  return (
    <Box display="flex" flexDirection="column" gridGap={8} mt={1}>
      {option.urls.map((url, index) => {
        // invokeCommand finds a URL by stage; a mapping without a stage is reached as the first URL.
        const command =
          url.stage || index === 0
            ? invokeCommand(api, option, { stage: url.stage, routeKey })
            : undefined;
        const name = url.stage ? `stage ${url.stage}` : url.url;
        return (
          <div key={url.url}>
            <Typography variant="body2">
              {url.stage ? `Stage ${url.stage}: ` : ''}
              <code>{url.url}</code>
            </Typography>
            {command && (
              <CommandBlock
                command={command}
                copyLabel={`Copy the ${name} command of ${option.title}`}
              />
            )}
          </div>
        );
      })}
    </Box>
  );
}

function OptionDetails(props: {
  api: ApiRecord;
  option: InvokeOption;
  routeKey?: string;
}) {
  const { api, option, routeKey } = props;
  const ready = option.availability !== 'unavailable';
  const headers = Object.entries(option.headers);
  return (
    <Box width="100%">
      <BulletList title="Why" items={option.reasons} />
      <BulletList title="To make it work" items={option.fixes} />
      {headers.length > 0 && (
        <Typography variant="body2">
          Send the header{headers.length > 1 ? 's' : ''}{' '}
          {headers.map(([k, v]) => (
            <code key={k}>{`${k}: ${v} `}</code>
          ))}
        </Typography>
      )}
      {ready && option.urls.length > 0 && (
        <Commands api={api} option={option} routeKey={routeKey} />
      )}
      {!ready && option.urls.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          URL{option.urls.length > 1 ? 's' : ''} once it works:{' '}
          {option.urls.map(u => u.url).join(', ')}
        </Typography>
      )}
      <CaveatList title="Caveats" caveats={option.caveats} />
      <Typography variant="body2">
        How this way works:{' '}
        <AwsDocLink href={option.docUrl} about={option.title} />
      </Typography>
    </Box>
  );
}

/** Options open at first: those that work; when none does, the best one. */
function initiallyOpen(options: InvokeOption[]): Set<string> {
  const available = options.filter(o => o.availability === 'available');
  return new Set(
    (available.length ? available : options.slice(0, 1)).map(o => o.title),
  );
}

/** The options for one caller, each folded under its title and verdict. */
function OptionList(props: {
  api: ApiRecord;
  options: InvokeOption[];
  routeKey?: string;
}) {
  const { api, options, routeKey } = props;
  const [open, setOpen] = useState(() => initiallyOpen(options));
  const toggle = (title: string) =>
    setOpen(current => {
      const next = new Set(current);
      if (!next.delete(title)) next.add(title);
      return next;
    });
  return (
    <div>
      {options.map((option, index) => {
        const availability = AVAILABILITY[option.availability];
        const id = `private-api-invoke-option-${index}`;
        return (
          <Accordion
            key={option.title}
            expanded={open.has(option.title)}
            onChange={() => toggle(option.title)}
            TransitionProps={{ unmountOnExit: true }}
          >
            <AccordionSummary
              expandIcon={<ExpandMoreIcon />}
              aria-controls={`${id}-content`}
              id={`${id}-header`}
            >
              <Box
                display="flex"
                alignItems="center"
                gridGap={8}
                flexWrap="wrap"
              >
                <Typography variant="subtitle1" component="span">
                  {option.title}
                </Typography>
                <VerdictChip
                  verdict={availability.verdict}
                  label={availability.label}
                />
              </Box>
            </AccordionSummary>
            <AccordionDetails
              id={`${id}-content`}
              aria-labelledby={`${id}-header`}
            >
              <OptionDetails api={api} option={option} routeKey={routeKey} />
            </AccordionDetails>
          </Accordion>
        );
      })}
    </div>
  );
}

/**
 * What the chosen route needs, in words. On WebSocket APIs only $connect is authorized: the
 * other routes run on the connection it opened, chosen by the message the command sends.
 */
function routeText(api: ApiRecord, route: RouteRecord): string {
  if (api.apiType === 'WEBSOCKET' && route.routeKey !== '$connect') {
    const connect = api.routes.find(r => r.routeKey === '$connect');
    const opened = connect
      ? `a connection opened through $connect (${
          routeAuth(api, connect).description
        })`
      : 'an open connection';
    if (route.routeKey === '$disconnect')
      return `Runs when ${opened} closes (Ctrl-C in wscat).`;
    const message = websocketMessage(
      route.routeKey,
      api.routeSelectionExpression,
    );
    return `Runs on ${opened}${
      message ? `; the command sends ${message} to select it` : ''
    }.`;
  }
  return `${routeAuth(api, route).description}${
    route.apiKeyRequired ? '; an API key (x-api-key)' : ''
  }.`;
}

function InvokeContent(props: { api: ApiRecord; estate: EstateResponse }) {
  const { api, estate } = props;
  const [chosen, setSelection] = useCallerSelection();
  // A shared link may name on premises without an endpoint: start from the likely one.
  const selection = useMemo(
    () =>
      chosen.from === 'on-premises' && !chosen.onPremisesEndpointId
        ? {
            ...chosen,
            onPremisesEndpointId: defaultOnPremisesEndpoint(api, estate),
          }
        : chosen,
    [api, estate, chosen],
  );
  const routes = useMemo(
    () => [...api.routes].sort((a, b) => a.routeKey.localeCompare(b.routeKey)),
    [api.routes],
  );
  const options = useMemo(
    () => invokeOptions(api, callerOf(selection, estate)),
    [api, estate, selection],
  );
  const [routeKey, setRouteKey] = useState<string | undefined>(
    options[0]?.route,
  );
  const route = routes.find(r => r.routeKey === routeKey);

  return (
    <Box display="flex" flexDirection="column" gridGap={16}>
      <CallerPicker
        api={api}
        estate={estate}
        value={selection}
        onChange={setSelection}
      />
      {routes.length > 0 && (
        <Box display="flex" alignItems="center" gridGap={16} flexWrap="wrap">
          <TextField
            select
            id="private-api-route"
            label="Route in the commands"
            value={routeKey ?? ''}
            onChange={e => setRouteKey(String(e.target.value))}
            SelectProps={{ native: true }}
            InputLabelProps={{ shrink: true }}
            variant="outlined"
            size="small"
          >
            {routes.map(r => (
              <option key={r.id} value={r.routeKey}>
                {r.routeKey}
              </option>
            ))}
          </TextField>
          {route && (
            <Typography variant="body2">{routeText(api, route)}</Typography>
          )}
        </Box>
      )}
      {api.stages.length === 0 && (
        <Alert severity="info">
          The API has no stage: nothing can call it until its owner deploys it.
          The ways below are what callers will use then.
        </Alert>
      )}
      {/* Keyed by the caller: a new caller opens the options that work for it. */}
      <OptionList
        key={JSON.stringify(selection)}
        api={api}
        options={options}
        routeKey={routeKey}
      />
    </Box>
  );
}

/**
 * Every way to call the API from where the caller is, available or not and why, with a
 * ready command per stage and the caveats of each way.
 *
 * @public
 */
export function PrivateApiInvokeCard() {
  return (
    <PrivateApiCard
      title="How to invoke"
      subheader="Choose where you call from: each way to call the API says whether it works from there, and why."
      needsEstate
    >
      {({ api }, estate) => <InvokeContent api={api} estate={estate} />}
    </PrivateApiCard>
  );
}
