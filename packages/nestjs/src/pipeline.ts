import type { ArgumentsHost } from '@nestjs/common';
import type { ContextId, ExternalContextCreator } from '@nestjs/core';
import { isObservable, lastValueFrom } from 'rxjs';
import { WHATSAPP_CONTEXT_TYPE, WhatsAppFilterHost } from './execution-context.js';
import { ROUTE_ARGS_METADATA, whatsAppParamsFactory } from './params-factory.js';

type Method = (...args: unknown[]) => unknown;

/** The part of Nest's `ExternalExceptionFilterContext` used here; see `createPipeline`. */
interface FilterContext {
  create(
    instance: object,
    callback: Method,
    moduleKey: string,
    contextId?: ContextId,
    inquirerId?: string,
  ): { invokeCustomFilters(exception: unknown, host: ArgumentsHost): unknown };
}

/** One handler method on one instance (a request-scoped handler's: per event). */
export interface PipelineTarget {
  instance: object;
  methodName: string;
  /** The key of the module that declares the handler's class. */
  moduleKey: string;
  /** The id of the handler's instance wrapper. */
  inquirerId: string;
  contextId?: ContextId;
}

/** A filter's result: its promise's value, its Observable's last value, or itself. */
async function settle(value: unknown): Promise<unknown> {
  const resolved = await value;
  return isObservable(resolved) ? lastValueFrom(resolved, { defaultValue: undefined }) : resolved;
}

/**
 * Runs a handler through Nest's pipeline: guards, interceptors, pipes (on the parameter
 * decorators), then exception filters. Resolves with what the handler, its interceptors or a
 * filter returned; rejects with an error no filter caught, a guard's refusal included
 * (`ForbiddenException`).
 *
 * Nest's own filter step is left out: it logs and rethrows an error whose filter returned nothing,
 * and logs an error no filter caught under its own name, where the dispatcher logs it with the
 * handler's. Its filters come from the same creator (a private member, in Nest 10 and 11 alike).
 */
export function createPipeline(
  creator: ExternalContextCreator,
  { instance, methodName, moduleKey, inquirerId, contextId }: PipelineTarget,
): (args: unknown[]) => Promise<unknown> {
  const callback = (instance as Record<string, Method>)[methodName] as Method;
  // Nest looks a handler's module up among the providers only: the guards, interceptors and pipes
  // bound by class to a handler in a controller would be dropped without a word. The module is
  // known here, so the lookup answers with it (Nest 11 asks it only when its own finds nothing).
  const inModule: ExternalContextCreator = Object.create(creator, {
    getContextModuleKey: { value: () => moduleKey },
  });
  const run = inModule.create(
    instance,
    callback,
    methodName,
    ROUTE_ARGS_METADATA,
    whatsAppParamsFactory,
    contextId,
    inquirerId,
    { guards: true, interceptors: true, filters: false },
    WHATSAPP_CONTEXT_TYPE,
  );
  const { filtersContextCreator } = creator as unknown as { filtersContextCreator: FilterContext };
  const filters = filtersContextCreator.create(
    instance,
    callback,
    moduleKey,
    contextId,
    inquirerId,
  );
  return async (args) => {
    try {
      return await run(...args);
    } catch (error) {
      const handled = filters.invokeCustomFilters(error, new WhatsAppFilterHost(args));
      // null: no filter's @Catch() takes this error.
      if (handled === null) throw error;
      return settle(handled);
    }
  };
}
