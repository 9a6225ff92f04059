export {
  type FakeSheetsCall,
  type FakeSheetsCallKind,
  type FakeSheetsFault,
  type FakeSheetsOptions,
  type FakeSheetsServer,
  startFakeSheetsServer,
} from './fake-sheets-server.js';
