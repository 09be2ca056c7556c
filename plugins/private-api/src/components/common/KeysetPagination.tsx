import { TablePagination } from '@material-ui/core';
import { PAGE_SIZES } from './useApiPages';

/**
 * Previous and next over keyset pages, with the page size: "51–100 of 10,000". There is no
 * jump to page N (a page is asked for by the cursor of the one before it); `totalCount`
 * only labels the position.
 */
export function KeysetPagination(props: {
  pageIndex: number;
  pageSize: number;
  shown: number;
  totalCount?: number;
  onNext?: () => void;
  onPrevious?: () => void;
  onPageSize: (size: number) => void;
  /** Inside a table's footer row (a cell) or on its own. */
  component?: 'td' | 'div';
}) {
  const { pageIndex, pageSize, shown, totalCount, onNext, onPrevious } = props;
  const from = shown === 0 ? 0 : pageIndex * pageSize + 1;
  const to = pageIndex * pageSize + shown;
  // TablePagination enables "next" from the count: make it follow the cursor instead.
  const count = onNext
    ? Math.max(totalCount ?? 0, (pageIndex + 1) * pageSize + 1)
    : to;
  let of: string;
  if (totalCount !== undefined) of = totalCount.toLocaleString('en-US');
  else of = onNext ? `more than ${to.toLocaleString('en-US')}` : String(to);
  return (
    <TablePagination
      component={props.component ?? 'div'}
      count={count}
      page={pageIndex}
      rowsPerPage={pageSize}
      rowsPerPageOptions={PAGE_SIZES}
      labelRowsPerPage="APIs per page:"
      labelDisplayedRows={() =>
        `${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${of}`
      }
      backIconButtonProps={{ disabled: !onPrevious }}
      nextIconButtonProps={{ disabled: !onNext }}
      onPageChange={(_event, next) =>
        next > pageIndex ? onNext?.() : onPrevious?.()
      }
      onRowsPerPageChange={event =>
        props.onPageSize(Number(event.target.value))
      }
    />
  );
}
