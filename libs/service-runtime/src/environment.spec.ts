import { IsInt, IsNotEmpty, IsString, Max, Min } from 'class-validator';
import { InvalidEnvironmentError, loadEnvironment } from './environment';

class ExampleEnv {
  @IsString() @IsNotEmpty() DATABASE_URL!: string;
  @IsInt() @Min(1) @Max(65535) PORT: number = 3000;
  @IsString() HOST: string = '127.0.0.1';
}

describe(loadEnvironment.name, () => {
  it('converts numbers and keeps defaults for what is not set', () => {
    expect(loadEnvironment(ExampleEnv, { DATABASE_URL: 'postgres://x', PORT: '8080' })).toMatchObject({
      DATABASE_URL: 'postgres://x', PORT: 8080, HOST: '127.0.0.1',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnvironment(ExampleEnv, { DATABASE_URL: 'postgres://x', PORT: '' }).PORT).toBe(3000);
  });

  it('fails fast naming every missing or malformed variable', () => {
    expect(() => loadEnvironment(ExampleEnv, { PORT: 'eighty' })).toThrow(InvalidEnvironmentError);
    try {
      loadEnvironment(ExampleEnv, { PORT: 'eighty' });
    } catch (error) {
      const problems = (error as InvalidEnvironmentError).problems.join('\n');
      expect(problems).toMatch(/DATABASE_URL/);
      expect(problems).toMatch(/PORT/);
    }
  });
});
