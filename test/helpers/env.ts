// Sets process environment variables for the length of one call and puts back exactly what was there, key by
// key (a variable that was unset is deleted again). Replacing process.env wholesale would swap the object
// every later test file reads, and lose what other code set on it in the meantime.
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const before = new Map(Object.keys(vars).map((key) => [key, process.env[key]] as const));
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return await fn();
  } finally {
    for (const [key, value] of before) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
