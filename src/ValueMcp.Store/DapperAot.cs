// Every Dapper call in this assembly is generated at build time by Dapper.AOT (no Reflection.Emit at run time).
[module: Dapper.DapperAot]
