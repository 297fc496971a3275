import { DatasetEntity } from './dataset.entity';

export function presentDataset(dataset: DatasetEntity, fastModeMaxItems: number) {
  return {
    id: dataset.id,
    name: dataset.name,
    original_items_count: dataset.originalItemsCount,
    duplication_factor: dataset.duplicationFactor,
    total_items_count: dataset.totalItemsCount,
    eligible_for_fast: dataset.totalItemsCount <= fastModeMaxItems,
    /** `csv` or `jsonl`: how the uploaded file was read. */
    format: dataset.originalFileKey.endsWith('.jsonl') ? 'jsonl' : 'csv',
    original_filename: dataset.originalFilename,
    size_bytes: Number(dataset.sizeBytes),
    created_at: dataset.createdAt.toISOString(),
  };
}
