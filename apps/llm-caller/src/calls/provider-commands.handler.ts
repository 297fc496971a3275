import { Injectable } from '@nestjs/common';
import { OnSubject } from '@yardstick/bus';
import { Consumers, EmbedTextsCommand, GenerateResponseCommand } from '@yardstick/contracts';
import { ProviderCallsService } from './provider-calls.service';

@Injectable()
export class ProviderCommandsHandler {
  constructor(private readonly calls: ProviderCallsService) {}

  @OnSubject(Consumers.LlmCallerGenerateResponse)
  onGenerateResponse(command: GenerateResponseCommand): Promise<void> {
    return this.calls.generateResponse(command);
  }

  @OnSubject(Consumers.LlmCallerEmbedTexts)
  onEmbedTexts(command: EmbedTextsCommand): Promise<void> {
    return this.calls.embedTexts(command);
  }
}
