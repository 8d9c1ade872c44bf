export * from './roles';
export * from './uscc';
export * from './announcements';
