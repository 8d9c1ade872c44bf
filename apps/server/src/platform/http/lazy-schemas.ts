import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<Factories['buildValidator']>;
type SerializerFactory = NonNullable<Factories['buildSerializer']>;
type Validator = ((data: unknown) => unknown) & { errors?: unknown };

/**
 * Fastify's own compilers (Ajv for request validation, fast-json-stringify for responses), but each route's
 * function is compiled on the route's first use instead of while the server gets ready. Compiling every route's
 * schemas up front was about a third of the server's own start-up time (docs/adr/0014-startup.md); most routes
 * are not called in the first seconds, many never in a given run. Same compilers, same options, same results: only
 * the moment differs. main.ts turns it on; tests build apps with eager compilation, so a broken schema still fails
 * at start in every test run.
 */
export function lazyCompilers(): { buildValidator: ValidatorFactory; buildSerializer: SerializerFactory } {
  const validators = AjvCompiler();
  const serializers = SerializerSelector();
  const buildValidator = ((externalSchemas: unknown, ajvOptions: unknown) => {
    const compile = (validators as (e: unknown, o: unknown) => (route: unknown) => Validator)(externalSchemas, ajvOptions);
    return (route: unknown) => {
      let fn: Validator | undefined;
      // Fastify reads `errors` off the function it was given after a failed validation.
      const lazy: Validator = (data) => {
        fn ??= compile(route);
        const result = fn(data);
        lazy.errors = fn.errors;
        return result;
      };
      return lazy;
    };
  }) as unknown as ValidatorFactory;
  const buildSerializer = ((externalSchemas: unknown, options: unknown) => {
    const compile = (serializers as (e: unknown, o: unknown) => (route: unknown) => (data: unknown) => string)(externalSchemas, options);
    return (route: unknown) => {
      let fn: ((data: unknown) => string) | undefined;
      return (data: unknown) => (fn ??= compile(route))(data);
    };
  }) as unknown as SerializerFactory;
  return { buildValidator, buildSerializer };
}
