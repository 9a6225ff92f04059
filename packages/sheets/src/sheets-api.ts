/**
 * The two calls of the Sheets v4 API this package makes. `sheets({ version: 'v4', auth })` from
 * `@googleapis/sheets` (see `createSheetsClient`) satisfies it; so can an in-memory fake.
 */
export interface SheetsApi {
  spreadsheets: {
    values: {
      /** Reads one A1 range (`spreadsheets.values.get`). */
      get(params: {
        spreadsheetId: string;
        range: string;
        majorDimension?: string;
        valueRenderOption?: string;
        dateTimeRenderOption?: string;
      }): Promise<{ data: { range?: string | null; values?: unknown[][] | null } }>;
      /** Writes several ranges in one call (`spreadsheets.values.batchUpdate`). */
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
