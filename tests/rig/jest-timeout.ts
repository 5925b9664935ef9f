// System tests boot VMs under software emulation: minutes, not seconds.
jest.setTimeout(300_000);
