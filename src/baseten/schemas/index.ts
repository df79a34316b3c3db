export * from './deployment';
export * from './model';
export * from './environment';
export * from './responses';
export * from './requests';
export * from './metrics';
