#!/usr/bin/env node
import { measureMocks, mockTable } from "./mocks.ts";

console.log(mockTable(await measureMocks(Number(process.env.BENCH_RUNS ?? 7))));
