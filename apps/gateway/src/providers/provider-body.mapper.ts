import { HttpStatus } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describeValidationErrors, ProviderEndpointFields, ProviderEndpointView } from '@yardstick/contracts';
import { SecretBox } from '@yardstick/secrets';
import { ApiErrorCode, ApiException } from '../api/api.exception';
import { PriceOverrideBody, UpdateProviderBody } from './dto/provider.body';

/** snake_case body -> bus fields. The API key is sealed here: it never travels or is stored in clear. */
export function toProviderFields(body: UpdateProviderBody, secrets: SecretBox): ProviderEndpointFields {
  const headers = body.default_headers;
  if (headers && Object.values(headers).some((v) => typeof v !== 'string')) {
    throw invalid('default_headers: every value must be a string');
  }
  const prices = body.price_overrides ? validatePrices(body.price_overrides) : undefined;
  return {
    name: body.name,
    kind: body.kind,
    baseUrl: body.base_url,
    apiKeySealed: body.api_key === undefined ? undefined : body.api_key === null ? null : secrets.seal(body.api_key),
    apiKeyLast4: body.api_key === undefined ? undefined : body.api_key === null ? null : body.api_key.slice(-4),
    azureApiVersion: body.azure_api_version,
    defaultHeaders: headers,
    supportsBatch: body.supports_batch,
    rateLimits: body.rate_limits && {
      requestsPerMinute: body.rate_limits.requests_per_minute,
      tokensPerMinute: body.rate_limits.tokens_per_minute,
      maxConcurrency: body.rate_limits.max_concurrency,
    },
    priceOverrides: prices,
  };
}

function validatePrices(raw: Record<string, PriceOverrideBody>): ProviderEndpointFields['priceOverrides'] {
  const prices: NonNullable<ProviderEndpointFields['priceOverrides']> = {};
  for (const [model, value] of Object.entries(raw)) {
    const price = plainToInstance(PriceOverrideBody, value);
    const errors = value && typeof value === 'object' ? validateSync(price, { whitelist: true, forbidNonWhitelisted: true }) : [];
    if (!value || typeof value !== 'object' || errors.length) {
      throw invalid(...(errors.length ? describeValidationErrors(errors, `price_overrides.${model}`) : [`price_overrides.${model}: must be an object`]));
    }
    prices[model] = { input: price.input, cachedInput: price.cached_input, output: price.output, batchDiscount: price.batch_discount };
  }
  return prices;
}

function invalid(...problems: string[]): ApiException {
  return new ApiException(HttpStatus.BAD_REQUEST, ApiErrorCode.ValidationFailed, `invalid fields: ${problems[0]}`, { problems });
}

export function presentProvider(view: ProviderEndpointView) {
  return {
    id: view.id,
    name: view.name,
    kind: view.kind,
    base_url: view.baseUrl,
    has_api_key: view.hasApiKey,
    api_key_last4: view.apiKeyLast4,
    azure_api_version: view.azureApiVersion,
    default_headers: view.defaultHeaders,
    supports_batch: view.supportsBatch,
    rate_limits: {
      requests_per_minute: view.rateLimits.requestsPerMinute ?? null,
      tokens_per_minute: view.rateLimits.tokensPerMinute ?? null,
      max_concurrency: view.rateLimits.maxConcurrency ?? null,
    },
    price_overrides: Object.fromEntries(Object.entries(view.priceOverrides).map(([model, p]) => [model, {
      input: p.input, cached_input: p.cachedInput ?? null, output: p.output, batch_discount: p.batchDiscount ?? null,
    }])),
    created_at: view.createdAt,
    updated_at: view.updatedAt,
  };
}
