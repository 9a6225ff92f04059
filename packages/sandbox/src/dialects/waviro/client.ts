import type { ControlCalls } from '../../control-calls.js';
import type {
  WaviroAck,
  WaviroConnection,
  WaviroControl,
  WaviroGroup,
  WaviroKeyword,
  WaviroNumber,
} from '../../types.js';

/** Waviro's control methods, as requests to the routes in control.ts. */
export function waviroClient({ required }: ControlCalls): WaviroControl {
  return {
    addWaviroGroup: (group: { id: string; name: string }) =>
      required<WaviroGroup>('POST', '/waviro/groups', group),
    async waviroGroups() {
      return (await required<{ groups: WaviroGroup[] }>('GET', '/waviro/groups')).groups;
    },
    setWaviroConnection: (connection: { authenticated: boolean; number?: string }) =>
      required<WaviroConnection>('POST', '/waviro/connection', connection),
    setWaviroNumber: (number: WaviroNumber) =>
      required<WaviroNumber>('POST', '/waviro/numbers', number),
    async waviroAcks() {
      return (await required<{ acks: WaviroAck[] }>('GET', '/waviro/acks')).acks;
    },
    addWaviroKeyword: (keyword: WaviroKeyword) =>
      required<WaviroKeyword>('POST', '/waviro/keywords', keyword),
  };
}
