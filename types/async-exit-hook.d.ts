declare module "async-exit-hook" {
  const exitHook: { (cb: () => void): void; unhookEvent(event: string): void };
  export default exitHook;
}
