/**
 * The two calls of the Sheets v4 API this package makes. `sheets({ version: 'v4', auth })` from
 * `@googleapis/sheets` (see `createSheetsClient`) satisfies it; so can an in-memory fake.
 */
export interface SheetsApi {
  spreadsheets: {
    values: {
      get(params: {
        spreadsheetId: string;
        range: string;
        majorDimension?: string;
        valueRenderOption?: string;
        dateTimeRenderOption?: string;
      }): Promise<{ data: { range?: string | null; values?: unknown[][] | null } }>;
      batchUpdate(params: {
        spreadsheetId: string;
        requestBody: {
          valueInputOption: string;
          data: { range: string; values: unknown[][] }[];
        };
      }): Promise<unknown>;
    };
  };
}
