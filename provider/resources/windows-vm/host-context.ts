import type { StackSettings } from '../common/stack-settings';
import type { HostContext } from './launch';

/** A VM's host as the resource works on it: its engine, its config, the image and stack. */
export function hostContextFor(settings: StackSettings, hostName: string): HostContext {
  const host = settings.hostConfig(hostName);
  return {
    docker: settings.docker(hostName),
    host,
    image: settings.current.image,
    stack: settings.current.stack,
  };
}
