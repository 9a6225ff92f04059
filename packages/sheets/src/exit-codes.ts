// kabar-sheets' exit codes, in a module of their own: the bin's main thread reads them without
// loading the broadcast (and googleapis) that only its worker needs.

/** Every row sent or skipped. */
export const EXIT_OK = 0;
/** Some rows failed, or writing their statuses did. */
export const EXIT_FAILED = 1;
/** A usage or configuration error. */
export const EXIT_USAGE = 2;
/** Stopped by Ctrl-C or SIGTERM. */
export const EXIT_INTERRUPTED = 130;
