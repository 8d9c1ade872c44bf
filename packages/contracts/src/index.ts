export * from './roles';
export * from './uscc';
