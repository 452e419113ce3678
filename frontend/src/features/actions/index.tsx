export { ActionsPage } from './ActionsPage';
