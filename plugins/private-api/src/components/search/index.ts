export { PrivateApiSearchResultListItem } from './PrivateApiSearchResultListItem';
export type { PrivateApiSearchResultListItemProps } from './PrivateApiSearchResultListItem';
