export * from './model';
export * from './inventory';
export * from './diagram';
export * from './report';
export * from './storage';
export * from './prerequisites';
