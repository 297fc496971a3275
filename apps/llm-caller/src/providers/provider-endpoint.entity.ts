import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ModelPriceOverride, ProviderKind, ProviderRateLimits } from '@yardstick/contracts';

/** A project's provider endpoint. The API key is stored sealed (AES-256-GCM, see libs/secrets) and opened only to call. */
@Entity({ name: 'provider_endpoints' })
export class ProviderEndpointEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column({ type: 'enum', enum: ProviderKind, enumName: 'provider_kind' }) kind!: ProviderKind;
  @Column('text', { name: 'base_url' }) baseUrl!: string;
  @Column('text', { name: 'api_key_sealed', nullable: true }) apiKeySealed!: string | null;
  @Column('text', { name: 'api_key_last4', nullable: true }) apiKeyLast4!: string | null;
  @Column('text', { name: 'azure_api_version', nullable: true }) azureApiVersion!: string | null;
  @Column('jsonb', { name: 'default_headers' }) defaultHeaders!: Record<string, string>;
  @Column('boolean', { name: 'supports_batch' }) supportsBatch!: boolean;
  @Column('jsonb', { name: 'rate_limits' }) rateLimits!: ProviderRateLimits;
  @Column('jsonb', { name: 'price_overrides' }) priceOverrides!: Record<string, ModelPriceOverride>;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
