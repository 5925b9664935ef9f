import type Dockerode from 'dockerode';
import { hostConfigFor, parseProviderSettings, type ProviderSettings } from '../../config/provider-config';
import { sharedHostPool, type HostConfig } from '../../hosts';

/** How the engine hands a provider its stack config at configure. */
export interface ConfigureRequest {
  config: { get(key: string): string | undefined };
}

/** The stack, where the engine tells the provider process (a label on containers, for people). */
export function currentStack(): string {
  return process.env.PULUMI_NODEJS_STACK ?? process.env.PULUMI_STACK ?? '';
}

/**
 * The stack's windock config (hosts, image, the stack's name) as every resource provider reads
 * it: configured once per provider process by each provider's `configure`, read by all.
 */
export class StackSettings {
  private settings: ProviderSettings = parseProviderSettings(() => undefined, '');
  private get: (key: string) => string | undefined = () => undefined;

  configure(request: ConfigureRequest): void {
    this.get = (key) => request.config.get(key);
    this.settings = parseProviderSettings(this.get, currentStack());
  }

  /** The parsed settings (hosts, image, stack). */
  get current(): ProviderSettings {
    return this.settings;
  }

  /** A config key of the stack as it is, for settings only one resource reads. */
  config(key: string): string | undefined {
    return this.get(key);
  }

  hostConfig(name: string): HostConfig {
    return hostConfigFor(this.settings, name);
  }

  /** The Docker engine of a configured host (one pooled connection per host). */
  docker(name: string): Dockerode {
    return sharedHostPool().get(this.hostConfig(name));
  }
}

/** The one settings object the WindowsVm, WindowsSnapshot and GpuAssignment providers share. */
export const stackSettings = new StackSettings();
