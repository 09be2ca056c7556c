export {
  PrivateApiExplorerContent,
  PrivateApiExplorerPage,
} from './ExplorerPage';
