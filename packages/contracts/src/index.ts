export * from './roles';
export * from './uscc';
export * from './announcements';
export * from './regions';
