import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentProject } from './project.resolver';
import { TenancyService } from './tenancy.service';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectsController {
  constructor(private readonly tenancy: TenancyService) {}

  /** The project and organization the request's key belongs to. */
  @Get('current')
  async current(@CurrentProject() projectId: string) {
    const { project, organization } = await this.tenancy.describeProject(projectId);
    return {
      id: project.id, name: project.name, created_at: project.createdAt.toISOString(),
      organization: { id: organization.id, name: organization.name },
    };
  }
}
