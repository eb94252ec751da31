export { fnv1a32, SymbolPartition, type PartitionSpec } from './symbol-partition';
