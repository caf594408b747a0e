// npm run db:migrate: applies migrations (and loads the demo data on an empty database unless DEMO_DATA=false).
import { bootDatabase } from "../boot";

const booted = await bootDatabase((m) => console.log(m));
console.log(booted.migrated.length ? `完成：${booted.migrated.length} 个迁移` : "数据库已是最新");
await booted.embedded?.stop();
