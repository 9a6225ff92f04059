/** The calling codes whose numbers are validated in full. */
export declare const STRICT_CALLING_CODES: string[];
/** A country's compressed libphonenumber-js rules without its number formats. */
export declare function withoutFormats(country: unknown): unknown[];
/** The source of src/phone-metadata.ts for the installed libphonenumber-js. */
export declare function phoneMetadataSource(): string;
