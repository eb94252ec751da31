export interface NatsConfUser {
  user: string;
  /** The environment variable the server reads the password from (`password: $NATS_X_PASSWORD`). */
  passwordVariable: string;
}

/**
 * The users of a nats-server configuration whose passwords are variable references (`user: x, password: $VAR`),
 * in file order. A user with a literal password is an error: passwords belong in the Secret, not in the file.
 */
export function natsUsers(conf: string): NatsConfUser[] {
  const text = conf.replace(/#[^\n]*/g, '');
  const users: NatsConfUser[] = [];
  for (const m of text.matchAll(/\buser\s*[:=]\s*"?([A-Za-z0-9_.-]+)"?[\s,]*password\s*[:=]\s*(\S+?)[\s,}]/g)) {
    const value = m[2] as string;
    if (!/^\$[A-Z][A-Z0-9_]*$/.test(value)) throw new Error(`nats.conf: user ${m[1]} has a literal password; use $VARIABLE from the environment`);
    users.push({ user: m[1] as string, passwordVariable: value.slice(1) });
  }
  const declared = [...text.matchAll(/\buser\s*[:=]/g)].length;
  if (declared !== users.length) throw new Error(`nats.conf: ${declared} users declared, ${users.length} with "password: $VARIABLE" right after the user name`);
  return users;
}
