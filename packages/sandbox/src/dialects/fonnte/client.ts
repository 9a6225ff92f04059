import type { ControlCalls } from '../../control-calls.js';
import type {
  FonnteControl,
  FonnteDevice,
  FonnteDeviceChange,
  FonnteDevicePatch,
  FonnteGroup,
} from '../../types.js';

/** Fonnte's control methods, as requests to the routes in control.ts. */
export function fonnteClient({ required }: ControlCalls): FonnteControl {
  return {
    fonnteDevice: () => required<FonnteDevice>('GET', '/fonnte/device'),
    setFonnteDevice: (patch: FonnteDevicePatch) =>
      required<FonnteDeviceChange>('PUT', '/fonnte/device', patch),
    addFonnteGroup: (group: FonnteGroup) => required<FonnteGroup>('POST', '/fonnte/groups', group),
    async fonnteGroups() {
      return (await required<{ groups: FonnteGroup[] }>('GET', '/fonnte/groups')).groups;
    },
    async setFonnteUnregistered(numbers: string[]) {
      const path = '/fonnte/unregistered';
      return (await required<{ numbers: string[] }>('PUT', path, { numbers })).numbers;
    },
  };
}
