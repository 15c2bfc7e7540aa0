// Types for build-check.mjs (plain JavaScript so it runs before anything is compiled).
export declare const ROOT: string;
export declare const JS_STAMP: string;
export declare const UI_BUILT: string;
export declare function newestMtime(dir: string, skip?: ReadonlySet<string>): number;
export declare function jsSourcesMtime(root?: string): number;
export declare function jsBuildIsStale(root?: string): boolean;
export declare function uiBuildIsStale(): boolean;
