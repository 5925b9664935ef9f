// The one "exists, else 404" for containers lives in containers.ts.
export { containerExists } from './containers';
